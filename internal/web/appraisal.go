package web

func (s *Server) appraisalRoutes() []Route { return nil }
